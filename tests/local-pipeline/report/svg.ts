import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A mark as the SVG draws it: its aria-label, fill and the points of its path or line. */
export interface DrawnMark {
  readonly label: string;
  readonly fill: string | undefined;
  readonly points: Point[];
}

type Node = Record<string, unknown>;

/** Parses an SVG document; throws the parser's message if it is not well-formed XML. */
export function parseSvg(svg: string): Node {
  // Validate first: the parser alone is lenient and would parse a malformed document partly.
  SyntaxValidator.validate(svg);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(svg) as Node;
}

/** Every element `<g class="… {className} …">` anywhere in the document. */
function groupsOfClass(node: unknown, className: string, found: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const child of node) groupsOfClass(child, className, found);
  } else if (node && typeof node === 'object') {
    const element = node as Node;
    const classes = typeof element['@class'] === 'string' ? element['@class'].split(' ') : [];
    if (classes.includes(className)) found.push(element);
    for (const [key, child] of Object.entries(element)) {
      if (!key.startsWith('@')) groupsOfClass(child, className, found);
    }
  }
  return found;
}

/**
 * The marks of the group Vega names `{markName}_marks` (the Vega-Lite layer's name): its
 * `<path>`s (rects, lines) with every vertex, and its `<line>`s (rules) with their start point.
 */
export function marksNamed(svg: Node, markName: string): DrawnMark[] {
  const groups = groupsOfClass(svg, `${markName}_marks`);
  if (groups.length !== 1) {
    throw new Error(`expected one ${markName}_marks group, found ${groups.length}`);
  }
  const children = (key: string) => {
    const value = groups[0]![key];
    return (value === undefined ? [] : Array.isArray(value) ? value : [value]) as Node[];
  };
  const mark = (element: Node, points: Point[]): DrawnMark => ({
    label: attribute(element, '@aria-label'),
    fill: attribute(element, '@fill') || undefined,
    points,
  });
  return [
    ...children('path').map((path) => mark(path, pathPoints(attribute(path, '@d')))),
    ...children('line').map((line) => mark(line, [translation(attribute(line, '@transform'))])),
  ];
}

function attribute(element: Node, name: string): string {
  const value = element[name];
  return typeof value === 'string' ? value : '';
}

function translation(transform: string): Point {
  const [, x = 'NaN', y = 'NaN'] = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(transform) ?? [];
  return { x: Number(x), y: Number(y) };
}

/** Vertices of a path of M, L (absolute) and h, v (relative) commands: what Vega writes. */
function pathPoints(d: string): Point[] {
  const points: Point[] = [];
  let x = 0;
  let y = 0;
  for (const [, command, args = ''] of d.matchAll(/([MLhvZ])([^MLhvZ]*)/g)) {
    const numbers = args.split(/[ ,]+/).filter(Boolean).map(Number);
    if (command === 'Z') continue;
    if (command === 'M' || command === 'L') [x = x, y = y] = numbers;
    else if (command === 'h') x += numbers[0] ?? 0;
    else y += numbers[0] ?? 0;
    points.push({ x, y });
  }
  return points;
}

/** The aria-label of every element drawn as `roleDescription` (e.g. "rect mark"), in document order. */
export function labelsOfRole(svg: Node, roleDescription: string): string[] {
  const labels: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node && typeof node === 'object') {
      const element = node as Node;
      if (attribute(element, '@aria-roledescription') === roleDescription) {
        labels.push(attribute(element, '@aria-label'));
      }
      for (const [key, child] of Object.entries(element)) if (!key.startsWith('@')) visit(child);
    }
  };
  visit(svg);
  return labels;
}

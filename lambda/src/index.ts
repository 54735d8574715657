// Placeholder until the detector lands (issue 3): the bundle builds from real sources.
export function handler(): Promise<never> {
  return Promise.reject(new Error('The anomaly detector is not implemented yet.'));
}

import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { withContext } from './errors';
import { sha256Hex } from './zip';

export interface ContentAddressedObject {
  readonly bucket: string;
  readonly key: string;
  /** The object's regional virtual-hosted URL (path-style when the bucket name has dots). */
  readonly url: string;
  /** false when an object with this content was already there. */
  readonly uploaded: boolean;
}

/**
 * Stores `body` under `<prefix><sha256><extension>`: the same content always has the same key,
 * so a second upload of it is skipped and a key never changes meaning.
 */
export async function uploadContentAddressed(
  s3: S3Client,
  target: { bucket: string; prefix: string; extension: string },
  body: Uint8Array | string,
): Promise<ContentAddressedObject> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const key = `${target.prefix}${sha256Hex(bytes)}${target.extension}`;
  const { bucket } = target;
  const where = `s3://${bucket}/${key}`;
  const present = await withContext(`could not check ${where}`, () =>
    objectExists(s3, bucket, key),
  );
  if (!present)
    await withContext(`could not upload ${where}`, () =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes })),
    );
  const region = await s3.config.region();
  return { bucket, key, url: regionalUrl(bucket, key, region), uploaded: !present };
}

async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey'))
      return false;
    throw error;
  }
}

/** https://bucket.s3.<region>.amazonaws.com/key: the form CloudFormation reads in every region. */
export function regionalUrl(bucket: string, key: string, region: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const path = key.split('/').map(encodeURIComponent).join('/');
  return bucket.includes('.')
    ? `https://s3.${region}.${domain}/${bucket}/${path}`
    : `https://${bucket}.s3.${region}.${domain}/${path}`;
}

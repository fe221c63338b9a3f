import { imageSize } from 'image-size';

/** Enough for the header of every common format, including JPEGs with large EXIF blocks before the frame. */
export const IMAGE_HEAD_BYTES = 64 * 1024;

export interface PixelSize {
  width: number;
  height: number;
}

/** The pixel size read from an image's first bytes, or undefined when they do not tell it. */
export function measureImage(head: Uint8Array): PixelSize | undefined {
  try {
    const size = imageSize(head);
    if (!size.width || !size.height) return undefined;
    // EXIF orientations 5-8 rotate the picture a quarter turn.
    const isRotated = size.orientation !== undefined && size.orientation >= 5;
    return isRotated ? { width: size.height, height: size.width } : { width: size.width, height: size.height };
  } catch {
    return undefined;
  }
}

export function isMeasurable(head: Uint8Array): boolean {
  return measureImage(head) !== undefined;
}

/** Validation shared by the hit handlers' `seek(start, end)`: `end` is exclusive. */

/** The `[start, end)` range to read from a body of `size` bytes; throws a `RangeError` if invalid. */
export function checkedRange(size: number, start: number, end: number = size): [number, number] {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
    throw new RangeError(`seek range must be integers, got ${start}-${end}`);
  }
  if (start < 0 || start > end || end > size) {
    throw new RangeError(`seek range ${start}-${end} is outside a body of ${size} bytes`);
  }
  return [start, end];
}

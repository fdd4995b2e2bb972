// An image whose layout is broken (a segment missing or short, a seek table that does not add up)
// cannot be opened; the error says where, so the report can name the file an examiner must look at.

export class ImageLayoutError extends Error {
  /** The file, and the segment, frame or byte range within it, that is wrong. */
  readonly where: string;
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'ImageLayoutError';
    this.where = where;
  }
}

/** A model file (upload or IndexedDB copy) that is not a playground run; the page shows it as "Bad model file". */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  constructor(what: string) {
    super(`This is not a playground model file: ${what}.`);
  }
}

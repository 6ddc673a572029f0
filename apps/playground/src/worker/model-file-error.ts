/** A model file (upload or IndexedDB copy) that is not a playground run; the page shows it as "Bad model file". */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  /** `lead`: the sentence the message starts with (an uploaded `.safetensors` file has its own). */
  constructor(what: string, lead = 'This is not a playground model file') {
    super(`${lead}: ${what}.`);
  }
}

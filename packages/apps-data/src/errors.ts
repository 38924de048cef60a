/** A data file that is missing, unreadable or not what it should be; the message names the file and the problem. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

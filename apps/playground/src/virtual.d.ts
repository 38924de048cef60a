declare module 'virtual:mnist-digits' {
  export const trainPerDigit: number;
  export const testPerDigit: number;
  export const size: number;
  /** base64 of one byte per pixel (0..255), digit by digit, sample by sample. */
  export const pixels: string;
}

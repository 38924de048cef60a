/** The pages of the playground, in the order of the navigation bar. */
export const PAGES = [
  { file: 'index.html', title: 'Flocking creatures' },
  { file: 'xor.html', title: 'XOR' },
  { file: 'dsr.html', title: 'Discrete Sequence Recall' },
  { file: 'filters.html', title: 'Learn Image Filters' },
  { file: 'paint.html', title: 'Paint an Image' },
  { file: 'som.html', title: 'Self-Organizing Map' },
  { file: 'wikipedia.html', title: 'Read from Wikipedia' },
  { file: 'mnist.html', title: 'MNIST' },
  { file: 'data.html', title: 'Your data' },
] as const;

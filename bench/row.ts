// One line of the benchmark's table: a figure, never a verdict.
export interface Row {
  section: string;
  figure: string;
  value: string;
  reference?: string;
}

/**
 * How a child `node` process runs this repository's TypeScript sources as
 * the tests themselves do (.mocharc.json): through tsx, with the
 * `vision-kit-source` export condition so that `vision-kit` and
 * `vision-kit-tools` resolve to src/ rather than dist/.
 */
export const SOURCE_FLAGS: readonly string[] = ['--import', 'tsx', '--conditions=vision-kit-source'];

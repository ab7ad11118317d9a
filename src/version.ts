/** The package version; cached validations of one version are not trusted by another. Checked against package.json by a test. */
export const VERSION = '0.2.0';

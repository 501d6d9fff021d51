/** The package version, set by the build (esbuild `define`) or read from package.json under tsx. */
declare const __VISION_KIT_VERSION__: string | undefined;

/** vision-kit's version string. */
export const version: string = typeof __VISION_KIT_VERSION__ === 'string' ? __VISION_KIT_VERSION__ : '0.0.0-dev';

/** The Ray version gates of the builders read `rayVersion` as a generic version, as validation does. */
export { versionAtLeast } from '../../api/validation/common.ts';

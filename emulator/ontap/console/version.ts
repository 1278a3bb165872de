// The release the emulated filers claim to run (7-Mode, as in DESIGN.md §7).
export const ONTAP_RELEASE = '7.3.7';
export const ONTAP_BUILD_DATE = 'Thu May  3 04:27:32 PDT 2012';

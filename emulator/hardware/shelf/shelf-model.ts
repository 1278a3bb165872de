// The lab's disk shelf model (a DS14-class FC shelf): what its enclosure services have to report.
// Shared by the shelf (which reports) and the filer's OS (which assumes normal until told).

/** The shelf model's name, as the filer's `environment shelf` and SES events give it. */
export const SHELF_PRODUCT = 'DS14-Mk2-FC';
export const PSU_COUNT_PER_SHELF = 2;
/** The shelf's temperature sensors (ambient, then the two I/O modules): the lab models no heat in a shelf. */
export const SHELF_TEMPERATURES_C: readonly number[] = [24, 27, 28];

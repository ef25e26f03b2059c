/** Errors of the lab: docker, the image build, the lab's inventory. They exit 1 (or 4 for the inventory). */
import { TsplayError } from '../errors.js'

/** Docker refused, the image could not be built, a host did not boot: said in words a person can act on. */
export class LabError extends TsplayError {
  override name = 'LabError'
}

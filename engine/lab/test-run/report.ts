/** The end of `tsplay test`: one line per step, with why a step failed, and the verdict. */
import type { Palette } from '../../output/format.js'
import { noColor } from '../../output/format.js'
import type { StepName, StepResult, TestReport } from './steps.js'

export const STEP_TITLES: Record<StepName, string> = {
  converge: 'converge: apply it',
  idempotence: 'idempotence: apply it again, expect no change',
  check: 'check: check mode on the converged hosts, expect no change and no write',
  verify: 'verify: run the verify tasks',
}

export function formatReport(report: TestReport, palette: Palette = noColor): string {
  const what = `${report.target.kind} ${report.target.name}`
  const lines = ['', `TEST SUMMARY [${what} on ${report.hosts}] `.padEnd(79, '*')]
  for (const step of report.steps) lines.push(stepLine(step, palette))
  lines.push('')
  lines.push(report.passed ? palette.ok(`tsplay test: ${what} passed`) : palette.failed(`tsplay test: ${what} FAILED at ${report.failedStep ?? '?'}`))
  return lines.join('\n') + '\n'
}

function stepLine(step: StepResult, palette: Palette): string {
  const time = step.status === 'not run' ? '' : `${step.seconds.toFixed(1)} s`
  const mark = { passed: palette.ok('passed '), failed: palette.failed('FAILED '), skipped: palette.skipped('skipped'), 'not run': palette.dim('not run') }[step.status]
  const head = `  ${step.name.padEnd(12)} ${mark} ${time.padStart(7)}`
  return step.reason ? `${head}  ${step.reason}` : head
}

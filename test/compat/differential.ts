/** One case through both tools, compared: the differences, and both runs for the report. */
import PQueue from 'p-queue'
import { compareRuns } from './compare.js'
import type { CompatCase } from './cases.js'
import { removeRun, runAnsible, runTsplay } from './run-tools.js'
import { debugTaskIndexes, runView, type RunView } from './view.js'

/** ansible-playbook takes ~1.5 s of CPU to start; two runs at a time keep the 2-core machine usable. */
const runs = new PQueue({ concurrency: 2 })

export interface CaseResult {
  differences: string[]
  ansible: RunView
  tsplay: RunView
}

export async function runCase(compatCase: CompatCase): Promise<CaseResult> {
  const [ansibleRun, tsplayRun] = await Promise.all([runs.add(() => runAnsible(compatCase.path)), runs.add(() => runTsplay(compatCase.path))])
  try {
    const debugTasks = debugTaskIndexes(ansibleRun.document)
    const ansible = runView(ansibleRun, debugTasks)
    const tsplay = runView(tsplayRun, debugTasks)
    return { differences: compareRuns(ansible, tsplay), ansible, tsplay }
  } finally {
    removeRun(ansibleRun)
    removeRun(tsplayRun)
  }
}

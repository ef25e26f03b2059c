/** `tsplay --version`, shaped as `ansible-playbook --version`: what runs, with what, reading which config. */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findConfigFile } from '../config/find.js'

/** The Ansible release whose behaviour tsplay follows (also `ansible_version`). */
const FOLLOWS = 'ansible-core 2.14'

export function versionText(): string {
  const root = packageRoot()
  const { file } = findConfigFile({ env: process.env, cwd: process.cwd(), home: homedir() })
  return [
    `tsplay ${packageVersion(root)} [follows ${FOLLOWS}]`,
    `  config file = ${file ?? 'None'}`,
    `  tsplay location = ${root}`,
    `  executable location = ${process.argv[1] ?? join(root, 'bin', 'tsplay')}`,
    `  node version = ${process.versions.node} (${process.execPath})`,
  ].join('\n') + '\n'
}

/** The folder of tsplay's package.json, from the source tree or from dist/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

function packageVersion(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }
  return pkg.version ?? 'unknown'
}

/** Every module tsplay has, by family (one folder each); engine/cli/main.ts builds the module registry from this list. */
import type { AnyModule } from '../engine/module.js'
import command from './command/command.js'
import shell from './command/shell.js'
import assert from './core/assert.js'
import asyncStatus from './core/async_status.js'
import debug from './core/debug.js'
import fail from './core/fail.js'
import includeVars from './core/include_vars.js'
import pause from './core/pause.js'
import ping from './core/ping.js'
import setFact from './core/set_fact.js'
import setup from './core/setup.js'
import dockerContainer from './docker/docker_container.js'
import dockerImage from './docker/docker_image.js'
import copy from './file/copy.js'
import file from './file/file.js'
import lineinfile from './file/lineinfile.js'
import stat from './file/stat.js'
import tempfile from './file/tempfile.js'
import template from './file/template.js'
import mount from './mount/mount.js'
import mysqlDb from './mysql/mysql_db.js'
import mysqlUser from './mysql/mysql_user.js'
import apt from './package/apt.js'
import dnf from './package/dnf.js'
import yum from './package/yum.js'
import packageModule from './package/package.js'
import service from './service/service.js'
import systemd from './service/systemd.js'
import sysctl from './sysctl/sysctl.js'
import group from './user/group.js'
import user from './user/user.js'
import waitFor from './wait_for/wait_for.js'

export const allModules: AnyModule[] = [
  command, shell,
  assert, asyncStatus, debug, fail, includeVars, pause, ping, setFact, setup,
  dockerContainer, dockerImage,
  copy, file, lineinfile, stat, tempfile, template,
  mount,
  mysqlDb, mysqlUser,
  apt, dnf, yum, packageModule,
  service, systemd,
  sysctl,
  group, user,
  waitFor,
]

/** Every module tsplay has; the registry and `tsplay doc` read this list. */
import type { AnyModule } from '../engine/module.js'
import assert from './core/assert.js'
import command from './command/command.js'
import copy from './file/copy.js'
import debug from './core/debug.js'
import fail from './core/fail.js'
import file from './file/file.js'
import lineinfile from './file/lineinfile.js'
import setFact from './core/set_fact.js'
import setup from './core/setup.js'
import shell from './command/shell.js'
import stat from './file/stat.js'
import template from './file/template.js'
import waitFor from './wait_for/wait_for.js'
import apt from './package/apt.js'
import dnf from './package/dnf.js'
import group from './user/group.js'
import mount from './mount/mount.js'
import packageModule from './package/package.js'
import service from './service/service.js'
import sysctl from './sysctl/sysctl.js'
import systemd from './service/systemd.js'
import user from './user/user.js'
import mysqlDb from './mysql/mysql_db.js'
import mysqlUser from './mysql/mysql_user.js'

export const allModules: AnyModule[] = [assert, command, copy, debug, fail, file, lineinfile, setFact, setup, shell, stat, template, waitFor]
allModules.push(apt)
allModules.push(dnf)
allModules.push(group)
allModules.push(mount)
allModules.push(packageModule)
allModules.push(service)
allModules.push(sysctl)
allModules.push(systemd)
allModules.push(user)
allModules.push(mysqlDb)
allModules.push(mysqlUser)

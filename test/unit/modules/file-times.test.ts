/** modification_time/access_time read as Ansible's get_timestamp_for_time. */
import { describe, expect, it } from 'vitest'
import { wantedTime } from '../../../engine/files/times.js'

describe('wantedTime', () => {
  it('defaults to now for touch and preserve otherwise', () => {
    expect(wantedTime(undefined, undefined, true)).toEqual({ kind: 'now' })
    expect(wantedTime(undefined, undefined, false)).toEqual({ kind: 'preserve' })
  })

  it('reads a time in its strptime format as a local date and time', () => {
    expect(wantedTime('202202081414.00', '%Y%m%d%H%M.%S')).toEqual({ kind: 'at', local: '2022-02-08 14:14:00' })
    expect(wantedTime('08/02/2022 03:04', '%d/%m/%Y %H:%M')).toEqual({ kind: 'at', local: '2022-02-08 03:04:00' })
  })

  it('fails with Ansible’s message on a time its format does not match', () => {
    expect(() => wantedTime('2022', '%Y%m%d')).toThrow("Error while obtaining timestamp for time 2022 using format %Y%m%d: time data '2022' does not match format '%Y%m%d'")
  })
})

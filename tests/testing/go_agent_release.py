#!/usr/bin/env python3
"""Writes a release of the real medical-device SBOM with the device's Go service agent added.

Usage: go_agent_release.py DATA SOURCE OUT WAZUH XCRYPTO
  DATA     the shared data folder (read in place)
  SOURCE   the SBOM of sbom/medical-device/ the release starts from (narrow.sbom.json, ...)
  OUT      the release's SBOM to write
  WAZUH    the version of github.com/wazuh/wazuh, XCRYPTO that of golang.org/x/crypto

The real Go vulnerability database has advisories for the agent's modules (the .NET and firmware
parts of the device have none in the test data); the Go standard library stays 1.13.5. The triage
and fleet end-to-end tests use it to scan two releases whose findings differ.
"""
import json
import sys


def go(name, version, ref):
    return {'type': 'library', 'bom-ref': ref, 'name': name, 'version': version,
            'purl': 'pkg:golang/%s@%s' % (name, version.replace('+', '%2B'))}


def main(data, source, out, wazuh, xcrypto):
    d = json.load(open('%s/sbom/medical-device/%s' % (data, source)))
    d['components'] += [go('stdlib', '1.13.5', 'go-stdlib'),
                        go('github.com/wazuh/wazuh', wazuh, 'wazuh'),
                        go('golang.org/x/crypto', xcrypto, 'xcrypto')]
    json.dump(d, open(out, 'w'))


if __name__ == '__main__':
    main(*sys.argv[1:])

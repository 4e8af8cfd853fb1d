# Step: CVSS v4.0 and v3.1 scores of the same flaw, from the one scorer scan uses.
v4=$("$VIGIL" cvss --format json CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P \
       CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P)
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("CVSS 4.0 %s %.1f %s; CVSS 3.1 base %.1f, temporal %.1f %s" % (d[0]["nomenclature"], d[0]["score"], d[0]["severity"], d[1]["base"], d[1]["temporal"], d[1]["severity"]))' "$v4"

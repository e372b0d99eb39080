"""三大支撑: party-mass service centres, the secretaries' studio, community funds and worker
careers."""

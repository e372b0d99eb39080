"""红色物业. Property companies are handling units and live in ``governance``; this app's own
tables (contracts, owners' committees, councils, surveys) come with the 红色物业 work."""

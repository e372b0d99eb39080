"""The demo district's area codes the supports' demo parts share."""

HUAYANG = "370405001001"
DISTRICT = "370405000000"

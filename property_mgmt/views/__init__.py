"""Pages of 红色物业. A view parses input, resolves objects through a scoped selector, calls one
service and renders; objects outside the actor's scope are 404."""

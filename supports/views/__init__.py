"""Pages of the three supports, one module per topic. A view parses input, resolves objects
through a scoped selector, calls one service and renders; objects outside the actor's scope
are 404."""

"""Pages of 双报到, by topic. A view parses input, resolves objects through a scoped selector,
calls one service and renders; objects outside the actor's scope are 404."""

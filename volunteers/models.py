"""双报到, volunteers and micro-services. The units that serve (departments, companies) are
``governance``'s; this app's own tables come with the 双报到 and volunteers work."""

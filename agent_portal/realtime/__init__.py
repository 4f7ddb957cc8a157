"""The live side of the server: publish/subscribe between its parts, the WebSocket hub,
presence of devices and staff, and the two channels (`/ws/device`, `/ws/staff`)."""

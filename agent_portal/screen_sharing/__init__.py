"""Screen sharing and remote control, each only under the customer's consent: a hotline
agent in their chat, or an expert in their pre-chat, asks to see the customer's screen (a
consent of the kind screen_view); once granted, the picture comes on a relay stream from
the device to the asker's tabs, pulled by the portal's viewer one update at a time; while
the view lasts, the asker may ask for control (a consent of the kind control, belonging to
the view), under which the viewer's input reaches the device."""

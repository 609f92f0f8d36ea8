"""The credits pages: a resident's own statement, the thank-you from a mailed link, and the
broker's and admin's workspace. Every one answers 404 while the neighbourhood's credits are
off, before anything else is checked: switched off, they do not exist."""

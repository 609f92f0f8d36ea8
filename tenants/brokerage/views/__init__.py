"""Pages of the broker's workspace, one module per topic: the day's dashboard, the routing
board, support conversations, the moderation queue, ads placed on someone's behalf, and the
admin's routing steps. Thin: selectors read, services write."""

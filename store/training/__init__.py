"""The training sandbox: its mark (a store made for practice can never reach production),
scripted calls, attempts scored on a rubric, and the trainer's review."""

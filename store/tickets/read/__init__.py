"""Read models of tickets: the queues, the search, one ticket's detail and timeline, a caller's
history and summary, the dispatch form's suggestions. Each returns plain data and writes nothing.
"""

"""The central server's routes, one router per part of the API."""

"""Everything that speaks WeChat's protocol, and nothing about pages.

This front file imports nothing: the sandbox uses ``crypto`` alone. ``wiring.connect``
builds the client and the token store.
"""

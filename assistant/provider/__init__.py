"""The provider profile on the desktop: the ISP's mail servers, internet test endpoints,
names to look up, router defaults and hotline number, as its server publishes them signed.

    client.py     ProfileClient: fetches the signed profile (ETag) and the server's keys
    store.py      ProfileStore: the copy kept in the data folder, verified on every read
    overlay.py    the checks' settings with the profile's values, and where each came from
    service.py    ProviderProfiles: what the checks use now; refreshed at start and now and
                  then, keeping the last good profile when a new one does not verify

Trust is the premium module's: a profile counts only when signed by a key the build pins,
or one a chain of endorsements links to a pinned key (`assistant.premium.trusted_keys`).
Without a server, or before a verified profile arrived, the checks run on the values set
on this computer and the assistant's built-in defaults, as before.
"""

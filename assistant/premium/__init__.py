"""Premium features: the catalogue, entitlement verification, unlock codes and the gate.

    gate.py                 PremiumGate: every premium action calls gate.require(feature_id)
    device_keys.py          DeviceKey: this computer's key pair and device id
    subscription_store.py   SubscriptionStore: the subscription token between starts
    trusted_keys.py         TrustedKeyStore: the server's keys, as far as they link to the
                            keys the build pins (assistant.build)
    refresh_schedule.py     RefreshSchedule: when to ask the server again, sooner after a
                            failure
    offline_code.py         OfflineCodeVerifier: unlock codes checked without the server
    client.py               PremiumClient: the server's premium API over HTTP
    service.py              PremiumService: sign-in, unlock, refresh and status for the UI
    access.py               PremiumAccess: what the window and the command line may show
                            and do right now, and why not
    cleanup/                Cleaner: temp files and browser caches, previewed then deleted
    texts.py                the customer's sentences for codes, in German or English
    errors.py               the error hierarchy

The wire formats and the catalogue shared with the server are in `isp_common`
(entitlements, key_chain, assistant_build, signing_keys, features, offline_codes,
device_ids).
"""

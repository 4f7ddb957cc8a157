"""The provider profile: the ISP's settings the assistants' checks need, as one document
the server signs and publishes (`isp_common.provider_profile`)."""

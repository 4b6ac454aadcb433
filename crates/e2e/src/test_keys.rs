//! An RSA key pair (2048-bit) made for the test suite only: it signs nothing real and is no
//! secret. The stand-ins for Salesforce and Google check the JWTs the server signs with the
//! private key (a Salesforce connected app's certificate key, a Google service account's key)
//! against the public one. The server's tests and the browser suite share it.

/// The private key, PKCS #8 in PEM, as a Google service-account key file and a Salesforce
/// JWT bearer set-up hold it.
pub const TEST_PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----\n\
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC380A6tEFZcKPD\n\
ozCF3g3zJSp+3oZwK/zj5KY41kdoGMNPc58k8GTd0HCWamQGq4Sd2pmeCyqqtrV1\n\
9dIyHM9l4jOSSjuNR56lQ+Ib+5WqCdyDGXHchD/4p6p+Xfzz3vkmewVwvGBxiBzg\n\
6Iq9fh3V/AFXJ+nishfGEUXIGRxvzlhSKA4YHuq0Nk69E2k7QbwCbDowDB9InF2H\n\
1mQ9ZZTVtGVY/G3K31nZ4jREnNXyzOenIBMBwkSPilVT5znIfqrZbdjWuEGU2RKj\n\
ZsGB7UqnlZd+65pV4PFG67rUDzdyVu6NupO+DmGti9LzGCwZoFDRyK01Oq+f6cj3\n\
86bSoqNDAgMBAAECggEAB3eRYOYA98TRxlbxLk31mlbPjczcqjWu6KqscLGKE9iw\n\
J6Eq5vtMgjs8MW7qK+HPL//irSleNwXUVzso/YMb4X04LgpjYSMfdoKgmBWIssP/\n\
C+H+3ukOFmWVTyyONca/AxKKsFPammE1wuTNqk7cnoYXS9bBRhmH9jCso33EIL8E\n\
LZSxlFOMlZ0C2TktyKQo2RnTczL5ZI7V9+xC4uKkggPi54xe9tXaH5+U9oSgv6iB\n\
ZTPXNcmFnedCIGLBssxDiQ+1ing6MS6cHNbpfXiRvhW6HEFRPVdmcEd7Smkc1CGH\n\
49jIP56/qvs7Uz+RbCicDIQueM7TwRyyjZWBEVXXcQKBgQDzD0OuDn/WH5fLmv6k\n\
KOMg/RlHLiX+i7/Bhn59UtsCpSEhF4GnLDuUAXSWDfYzYY7zkJh7zCX701Xp7UQK\n\
NGId6KyCRqfY9TupLrvsEhdgaoNsiPyy7rg4vKIHRUJQMdzqkpbWGOQ+fwi2Mpdv\n\
pre66agYvv+2aXJgWWRopoNHiwKBgQDBvl2bka0bNGXB0cq0iaqUOkf1UIJILByt\n\
1KvU6Eby3kMNRHffK5Ft4P0idDZf8x0y0zYLnhu/gSHooOYnHwl/TxFXotnY+qJS\n\
xEcsY/5oG1BQCt6wnhuv4N6DGeBBGxr4yDvy+zF0hVHo94YXqvFKUrnv8bHj0uP8\n\
l39NbIpKKQKBgGp7SnQrZ/e/eXm6WkpCm1ZtazCS2BRO1uAKcsmmjcn3266qpKM/\n\
Lo6loJTIYw6Zc83ij9rUUeOj7yR/TGqIDl/5+fFM0OWsccmpbqx6NIGJyC+5R7N/\n\
/3bjtLworGeDoLunIquC1iNG9eMUAOHqEN2y1XCZ5F7ejTwGjYWHRUYHAoGAdIC1\n\
p2PdNVu3yOoPu6qA4at+M9zayu2DvWACh/+5EjhnF6ZRcuivBeTiMwKw49e8eiCa\n\
AjhsNSdArbN7UpEOU/jG0+0AlMJ6M80Fg4MJq66pB8jRimE5AvT0uN8pg9z5xhoa\n\
Oo2keo3k6HNXtgm8GNZQKyIqt3XMVMsA6RzYt6kCgYEA5v3PTGU4fLBYvZhQF1FH\n\
D0wXKhAOH+uhoVOdL2Y8GDgS120HbmrV4KA3icWMuKbZIh+RLaliJJrrHd4JTJp+\n\
uXHEkhH5lD9HQdtQa3T2dwiC4lHEk5CFXlNc+ScqoYmjAtCW6bJAtCy0qp1uYOfV\n\
JBJY/S7FYhxGj7vy1dHr1jc=\n\
-----END PRIVATE KEY-----\n";

/// The public key (SubjectPublicKeyInfo in PEM) of [`TEST_PRIVATE_KEY`].
pub const TEST_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----\n\
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAt/NAOrRBWXCjw6Mwhd4N\n\
8yUqft6GcCv84+SmONZHaBjDT3OfJPBk3dBwlmpkBquEndqZngsqqra1dfXSMhzP\n\
ZeIzkko7jUeepUPiG/uVqgncgxlx3IQ/+Keqfl388975JnsFcLxgcYgc4OiKvX4d\n\
1fwBVyfp4rIXxhFFyBkcb85YUigOGB7qtDZOvRNpO0G8Amw6MAwfSJxdh9ZkPWWU\n\
1bRlWPxtyt9Z2eI0RJzV8sznpyATAcJEj4pVU+c5yH6q2W3Y1rhBlNkSo2bBge1K\n\
p5WXfuuaVeDxRuu61A83clbujbqTvg5hrYvS8xgsGaBQ0citNTqvn+nI9/Om0qKj\n\
QwIDAQAB\n\
-----END PUBLIC KEY-----\n";

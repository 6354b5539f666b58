"""S3-compatible buckets for the two stores (django-storages, the optional extra ``[s3]``);
imported only when settings name them."""

from storages.backends.s3 import S3Storage


class PublicS3Storage(S3Storage):
    """Public photos: plain URLs (the bucket is readable by anyone through its policy)."""


class PrivateS3Storage(S3Storage):
    """Dossiers and residents' photos: the bucket stays private and the files have no URL,
    not even a signed one; the application reads them and checks permissions first."""

    def url(self, name, *args, **kwargs):
        raise ValueError("Private files have no public URL; use a view that checks permissions.")

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private storage: files are kept outside any public URL.

    url() refuses on purpose, so a template can never leak a direct link to a
    KTP scan or a recording; downloads go through views that check access.
    """

    def url(self, name):
        raise ValueError("Private storage has no public URLs; serve files through a view.")

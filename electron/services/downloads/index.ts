export { ModelDownloader, type DownloadProgressEvent, type ModelDownloaderOptions } from './ModelDownloader.js';
export { ChecksumMismatchError, DownloadFailedError, DownloadInProgressError } from './downloadErrors.js';

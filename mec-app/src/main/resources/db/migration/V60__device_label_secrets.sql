-- Issue 14.9: user info split off URL labels (a camera's mjpeg-url with user:password), AES-GCM sealed with the
-- data-dir key like the PSK; device_credentials is never replicated.
ALTER TABLE device_credentials ADD COLUMN label_secrets bytea;

// Image builds are heavy and share the packed SDK; they run one at a time.
[assembly: DoNotParallelize]

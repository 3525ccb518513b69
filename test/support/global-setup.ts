/** Says out loud when the PostgreSQL half of the suite is not running, so a green run is not misread. */
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    console.log(
      "\n  PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run them\n",
    );
  }
}

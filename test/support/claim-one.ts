import type { Review } from "../../src/reviews/review.js";
import type { ClaimRequest, ReviewRepository } from "../../src/reviews/review-repository.js";

/** One occurrence claimed through the batch port: the review, or null when it was not this call's. */
export const claimOne = async (reviews: ReviewRepository, req: ClaimRequest): Promise<Review | null> =>
  (await reviews.claimMany([req]))[0] ?? null;

// The quality area: reviews (a team leader's to write, an adviser's own to
// read), one review beside its replay, and for team leaders the weekly
// sample, calibration (with agreement over time), reports (with advisers'
// improvement targets) and the scorecard forms. The list stays mounted under
// a review, so Back returns to the same filter; it reloads when shown again.
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  calibrationHash,
  formsHash,
  qualityHash,
  reportsHash,
  sampleHash,
  type DeskRoute,
} from '../history/route';
import { mayReviewQuality } from './access';
import { CalibrationList } from './CalibrationList';
import { CalibrationScreen } from './CalibrationScreen';
import { FormsScreen } from './FormsScreen';
import { ReportScreen } from './ReportScreen';
import { ReviewList } from './ReviewList';
import { ReviewScreen } from './ReviewScreen';
import { SampleScreen } from './SampleScreen';
import '../history/history.css';
import './quality.css';

export type QualityRoute = Extract<DeskRoute, { area: 'quality' }>;

export function QualityArea({
  desk,
  user,
  route,
}: {
  desk: DeskBridge;
  user: StaffMember;
  route: QualityRoute;
}) {
  const leader = mayReviewQuality(user);
  const current = (views: QualityRoute['view'][]) =>
    views.includes(route.view) ? ('page' as const) : undefined;
  return (
    <div className="history quality">
      <div className="history__header">
        <h2 className="history__title">Quality</h2>
        {leader && (
          <nav aria-label="Quality" className="history__nav">
            <a href={qualityHash} aria-current={current(['reviews', 'review'])}>
              Reviews
            </a>
            <a href={sampleHash} aria-current={current(['sample'])}>
              Weekly sample
            </a>
            <a href={calibrationHash} aria-current={current(['calibration', 'session'])}>
              Calibration
            </a>
            <a href={reportsHash} aria-current={current(['reports'])}>
              Reports
            </a>
            <a href={formsHash} aria-current={current(['forms'])}>
              Forms
            </a>
          </nav>
        )}
      </div>
      <div hidden={route.view !== 'reviews'}>
        <ReviewList desk={desk} user={user} shown={route.view === 'reviews'} />
      </div>
      {route.view === 'review' && (
        <ReviewScreen key={route.id} desk={desk} user={user} id={route.id} at={route.at} />
      )}
      {leader && route.view === 'sample' && <SampleScreen desk={desk} />}
      {leader && route.view === 'calibration' && <CalibrationList desk={desk} />}
      {leader && route.view === 'session' && (
        <CalibrationScreen key={route.id} desk={desk} user={user} id={route.id} />
      )}
      {leader && route.view === 'reports' && <ReportScreen desk={desk} />}
      {leader && route.view === 'forms' && <FormsScreen desk={desk} />}
      {!leader && !['reviews', 'review'].includes(route.view) && (
        <p role="alert" className="notice notice--problem">
          The weekly sample, calibration, reports and forms are for team leaders.
        </p>
      )}
    </div>
  );
}

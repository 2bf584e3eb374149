// The desk's external link check. It lives in shared/ (knowledge/external-link.ts)
// because the customer's chat page and the action plan run the very same check
// before a young person is offered a link; the desk services import it from here.
export { checkExternalLink } from '../../shared/knowledge/external-link';

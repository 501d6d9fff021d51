/** The poller's one-listener-per-signal fan-out; it lives in core so that calls share it too. */
export { SignalHub, type AbortSubscriber } from '../core/signal-hub.js';

// The Events screen (issue 17, item 6): received traps and syslog messages
// in one table with filters and a live refresh (eventfeed.ts), and the event
// rules that turn them into alarms (eventrulesview.ts), and the northbound
// forwarding targets alarm changes go to (forwardview.ts), and the MIB
// browser (mibbrowser.ts). Its own chunk,
// built the first time the tab is chosen.
import { EventFeed } from "./eventfeed";
import { EventRulesSection } from "./eventrulesview";
import { ForwardSection } from "./forwardview";
import { MibBrowser } from "./mibbrowser";

export class EventsScreen {
  private readonly feed = new EventFeed();
  private readonly rules = new EventRulesSection();
  private readonly forward = new ForwardSection();
  private readonly mibs = new MibBrowser();

  async show(): Promise<void> {
    await Promise.all([this.feed.show(), this.rules.show(), this.forward.show(), this.mibs.show()]);
  }

  /** Stops the live refresh while another tab shows. */
  hide(): void {
    this.feed.hide();
  }

  onRulesChanged(): void {
    this.rules.onRulesChanged();
  }
}
